from . import sale_order
from . import sale_order_line
from . import zeron_contract
from . import zeron_contract_line
from . import zeron_expiry_stage
