from . import periods
