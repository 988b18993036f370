"""Edit a cell by choosing from fixed options: the one shared delegate lives with the table pattern."""

from ui.widgets.editable_table import ChoiceDelegate

__all__ = ["ChoiceDelegate"]
