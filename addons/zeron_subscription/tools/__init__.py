from . import locking
from . import periods
