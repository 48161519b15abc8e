from . import zeron_landed_cost_report
