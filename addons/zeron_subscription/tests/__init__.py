from . import test_periods
from . import test_contract
from . import test_invoicing
from . import test_security
from . import test_tour
