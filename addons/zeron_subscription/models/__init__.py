from . import zeron_recurrence_mixin
from . import zeron_contract
from . import zeron_contract_line
from . import zeron_contract_period
from . import product_template
from . import res_partner
from . import account_move
from . import account_move_line
