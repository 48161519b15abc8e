{
    "name": "Zeron Subscriptions",
    "summary": "Subscription services, contracts and recurring invoicing",
    "version": "18.0.1.0.0",
    "category": "Sales/Subscriptions",
    "website": "https://zeron.example.com",
    "author": "Zeron",
    "maintainers": ["zeron"],
    "license": "LGPL-3",
    "depends": ["account", "product", "mail"],
    "data": [
        "security/zeron_subscription_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/zeron_contract_views.xml",
        "views/zeron_contract_line_views.xml",
        "views/zeron_contract_period_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/zeron_subscription_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "zeron_subscription/static/tests/tours/*.js",
        ],
    },
}
