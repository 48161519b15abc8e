from . import test_access
from . import test_allocation_split
from . import test_bill_allocation
from . import test_currency_refund
from . import test_delivered_share
from . import test_multi_company
from . import test_report
from . import test_tour
