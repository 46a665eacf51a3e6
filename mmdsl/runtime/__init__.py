"""What evaluators need at run time: the prelude (validation, JSON) and the input description."""
