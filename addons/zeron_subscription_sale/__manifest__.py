{
    "name": "Zeron Subscriptions - Sales",
    "summary": "Confirmed sale orders create or extend subscription contracts",
    "version": "18.0.1.1.0",
    "category": "Sales/Subscriptions",
    "website": "https://zeron.example.com",
    "author": "Zeron",
    "maintainers": ["zeron"],
    "license": "LGPL-3",
    "depends": ["sale", "zeron_subscription"],
    "data": [
        "views/sale_order_views.xml",
        "views/zeron_contract_views.xml",
        "views/zeron_expiry_stage_views.xml",
    ],
    "auto_install": True,
}
