"""The lowered, typed form of a guideline that every back end and the interpreter read."""
