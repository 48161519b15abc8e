from . import res_company
from . import res_config_settings
from . import stock_landed_cost
from . import stock_landed_cost_lines
from . import account_move
from . import account_move_line
from . import stock_picking
