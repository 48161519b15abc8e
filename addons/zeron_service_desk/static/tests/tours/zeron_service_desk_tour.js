import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("zeron_service_desk_task_tour", {
    url: "/odoo/action-zeron_service_desk.project_task_action_service",
    steps: () => [
        {
            content: "The request from the email shows its coverage on the card",
            trigger:
                ".o_kanban_record:contains(Tour alarm request) .o_field_badge:contains(Covered)",
        },
        {
            content: "Open the request",
            trigger: ".o_kanban_record:contains(Tour alarm request) .fw-bold",
            run: "click",
        },
        {
            content: "Open the Service tab",
            trigger: ".o_notebook .nav-link:contains(Service)",
            run: "click",
        },
        {
            content: "The form shows the status and the covering contract line",
            trigger:
                ".o_field_widget[name=zeron_coverage_status]:contains(Covered) ~ * .o_field_widget[name=zeron_contract_line_id]:contains(Tour Alarm Service), .o_field_widget[name=zeron_contract_line_id]:contains(Tour Alarm Service)",
        },
        {
            content: "Open the Timesheets tab",
            trigger: ".o_notebook .nav-link:contains(Timesheets)",
            run: "click",
        },
        {
            content: "Log time",
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Replaced the panel battery",
        },
        {
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_data_row .o_field_widget[name=unit_amount] input",
            run: "edit 2:00",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The time is stamped billable",
            trigger:
                ".o_form_saved .o_field_widget[name=timesheet_ids] .o_data_row .o_field_badge:contains(Billable)",
        },
    ],
});

registry.category("web_tour.tours").add("zeron_service_desk_invoice_tour", {
    url: "/odoo/action-zeron_service_desk.account_analytic_line_action_service",
    steps: () => [
        {
            content: "The billable time waits to be invoiced",
            trigger: ".o_data_row:contains(Replaced the panel battery)",
        },
        {
            content: "Select it",
            trigger:
                ".o_data_row:contains(Replaced the panel battery) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_control_panel .o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu .o-dropdown-item:contains(Invoice Service Time)",
            run: "click",
        },
        {
            content: "Create the invoice",
            trigger: ".modal button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "The invoice is listed",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(INV/)",
        },
    ],
});
