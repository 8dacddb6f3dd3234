"""The grammar: one module per dimension of a notice (labels, dates, places, ...), each with its rules.

Importing it first makes the regex compiler work out each character class of the rules once
(:func:`casedb.grammar.scan.remember_character_classes`) and take the compiled rules from the file an earlier
process wrote (:func:`casedb.grammar.scan.remember_compiled_rules`; casedb.parse writes it at the end of its import).
"""
from casedb.grammar.scan import remember_character_classes, remember_compiled_rules

remember_character_classes()
remember_compiled_rules()
