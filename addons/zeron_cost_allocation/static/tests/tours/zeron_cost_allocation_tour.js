import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("zeron_cost_allocation_post_bill", {
    steps: () => [
        {
            content: "Post the freight bill",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "The bill is posted",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_draft']",
        },
        {
            content: "Its landed cost exists",
            trigger: ".o_form_view button[name='action_view_landed_costs']",
        },
    ],
});

registry.category("web_tour.tours").add("zeron_cost_allocation_receipt", {
    steps: () => [
        {
            content: "The receipt counts one landed cost",
            trigger:
                ".o_form_view button[name='action_zeron_view_landed_costs']:contains(1)",
        },
        {
            content: "Open the landed costs tab",
            trigger: ".o_notebook a.nav-link[name='zeron_landed_costs']",
            run: "click",
        },
        {
            content: "The chairs carry 25.00",
            trigger:
                "div[name='zeron_adjustment_line_ids'] .o_data_row:contains(Zeron Chair):contains(25.00)",
        },
        {
            content: "The tables carry 75.00",
            trigger:
                "div[name='zeron_adjustment_line_ids'] .o_data_row:contains(Zeron Table):contains(75.00)",
        },
    ],
});

registry.category("web_tour.tours").add("zeron_cost_allocation_refused_goods", {
    steps: () => [
        {
            content: "Open the bill's cost allocation tab",
            trigger: ".o_notebook a.nav-link[name='zeron_cost_allocation']",
            run: "click",
        },
        {
            content: "The standard-cost lamps carry the freight",
            trigger:
                "div[name='zeron_allocation_ids'] .o_data_row:contains(Zeron Lamp):contains(50.00):contains(25.00)",
        },
    ],
});

registry.category("web_tour.tours").add("zeron_cost_allocation_refused_receipt", {
    steps: () => [
        {
            content: "Open the receipt's landed costs tab",
            trigger: ".o_notebook a.nav-link[name='zeron_landed_costs']",
            run: "click",
        },
        {
            content: "The allocation entry's share is listed",
            trigger:
                "div[name='zeron_allocation_ids'] .o_data_row:contains(Zeron Lamp):contains(50.00)",
        },
    ],
});
