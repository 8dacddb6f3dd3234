"""The grammar: one module per dimension of a notice (labels, dates, places, ...), each with its rules.

Importing it first makes the regex compiler work out each character class of the rules once
(:func:`casedb.grammar.scan.remember_character_classes`).
"""
from casedb.grammar.scan import remember_character_classes

remember_character_classes()
