from . import zeron_timesheet_invoice_wizard
