from . import zeron_price_revision
from . import zeron_currency_change
from . import zeron_contract_terminate
from . import zeron_announcement
