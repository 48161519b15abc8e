import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("zeron_contract_tour", {
    url: "/odoo/action-zeron_subscription.zeron_contract_action",
    steps: () => [
        {
            content: "Create a contract",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Vault Customer",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Tour Vault Customer)",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Safe Deposit",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Tour Safe Deposit)",
            run: "click",
        },
        {
            content: "The contracted price comes from the pricelist",
            trigger: ".o_data_row .o_field_widget[name=price_unit] input:value(42.00)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start the contract",
            trigger: ".o_form_saved button[name=action_start]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Running)",
        },
        {
            content: "Invoice it now",
            trigger: "button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "The invoice is listed with its number",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(INV/)",
        },
    ],
});
