import random

from odoo.tests import TransactionCase, tagged

from odoo.addons.zeron_cost_allocation.tools.allocation import (
    ZeroBasisError,
    split_largest_remainder,
)


@tagged("post_install", "-at_install")
class TestAllocationSplit(TransactionCase):
    """The largest-remainder split, on a table of cases."""

    def test_split_table(self):
        cases = [
            # (description, amount, weights, digits, expected)
            ("freight by quantity", 100, [10, 30], 2, [25.0, 75.0]),
            (
                "current value, currency without decimals",
                333,
                [666, 133, 131, 525],
                0,
                [152.0, 31.0, 30.0, 120.0],
            ),
            ("equal thirds, first wins tie", 100, [1, 1, 1], 2, [33.34, 33.33, 33.33]),
            ("credit note", -100, [1, 1, 1], 2, [-33.34, -33.33, -33.33]),
            ("cents over more goods", 0.05, [1] * 6, 2, [0.01] * 5 + [0.0]),
            ("decimal weights", 10, [0.1, 0.2], 2, [3.33, 6.67]),
            ("nothing to split", 0, [1, 2], 2, [0.0, 0.0]),
            ("a weightless recipient", 1, [0, 5], 2, [0.0, 1.0]),
            ("three decimals", 1, [1, 1, 1], 3, [0.334, 0.333, 0.333]),
            ("single recipient", 12.34, [7], 2, [12.34]),
        ]
        for description, amount, weights, digits, expected in cases:
            with self.subTest(description):
                self.assertEqual(
                    split_largest_remainder(amount, weights, digits),
                    expected,
                    f"{description}: {amount} over {weights}",
                )

    def test_split_sums_exactly_and_never_flips_sign(self):
        rng = random.Random(18)
        for _run in range(200):
            amount = round(rng.uniform(-5000, 5000), 2)
            weights = [round(rng.uniform(0, 50), 3) for _i in range(rng.randint(1, 9))]
            weights[0] += 1  # keep the basis non-zero
            parts = split_largest_remainder(amount, weights, 2)
            with self.subTest(amount=amount, weights=weights):
                self.assertEqual(round(sum(parts) * 100), round(amount * 100))
                self.assertTrue(all(part * amount >= 0 for part in parts))

    def test_zero_basis_raises(self):
        with self.assertRaises(ZeroBasisError):
            split_largest_remainder(10, [0, 0.0], 2)
        with self.assertRaises(ZeroBasisError):
            split_largest_remainder(10, [], 2)

    def test_negative_weight_raises(self):
        with self.assertRaises(ValueError):
            split_largest_remainder(10, [3, -1], 2)
