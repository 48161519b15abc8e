import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("zeron_invoice_sending_tour", {
    url: "/odoo/action-zeron_subscription.zeron_contract_action",
    steps: () => [
        {
            content: "Create a contract",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose a customer with an email address",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Mail Customer",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Tour Mail Customer)",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Alarm Service",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Tour Alarm Service)",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=price_unit] input:value(35.00)",
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
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Running)",
        },
        {
            content: "Run the invoicing",
            trigger: "button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "Open the invoice",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(INV/)",
            run: "click",
        },
        {
            content: "Send it to the customer",
            trigger: ".o_form_view button[name=action_zeron_send_now]",
            run: "click",
        },
        {
            content: "The invoice is marked as sent by email",
            trigger:
                ".o_field_widget[name=zeron_delivery_state]:contains(Sent by Email)",
        },
    ],
});
