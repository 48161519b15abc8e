{
    "name": "Zeron Cost Allocation",
    "summary": "Allocate landed-cost services of vendor bills onto received goods, "
    "exactly to the cent",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "website": "https://zeron.example.com",
    "author": "Zeron",
    "license": "LGPL-3",
    "depends": ["stock_landed_costs", "purchase_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/zeron_landed_cost_report_security.xml",
        "views/account_move_views.xml",
        "views/stock_landed_cost_views.xml",
        "views/zeron_cost_allocation_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "report/zeron_landed_cost_report_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "zeron_cost_allocation/static/tests/tours/*.js",
        ],
    },
}
