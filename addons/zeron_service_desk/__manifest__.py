{
    "name": "Zeron Service Desk",
    "summary": "Service tasks that know the contract: coverage, covered and "
    "billable time, technicians' calendars",
    "version": "18.0.1.1.0",
    "category": "Services/Project",
    "website": "https://zeron.example.com",
    "author": "Zeron",
    "maintainers": ["zeron"],
    "license": "LGPL-3",
    "depends": [
        "zeron_subscription",
        "project",
        "hr_timesheet",
        "calendar",
        "sale_timesheet",
        "portal",
    ],
    "data": [
        "security/zeron_service_desk_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "wizards/zeron_timesheet_invoice_wizard_views.xml",
        "views/project_project_views.xml",
        "views/project_task_views.xml",
        "views/account_analytic_line_views.xml",
        "views/zeron_contract_line_views.xml",
        "views/zeron_visit_plan_views.xml",
        "views/res_config_settings_views.xml",
        "views/zeron_service_desk_menus.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "zeron_service_desk/static/tests/tours/*.js",
        ],
    },
}
