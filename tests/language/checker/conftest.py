from __future__ import annotations

import pytest

from tip.language.checker import RuleSet, rules_from_text

RULES = """
language: en
sources:
  seed: {title: "Trauma-informed practice: learning from experience"}
  CSE-T: {title: "Suggested alternatives for describing behaviour around CSE concerns"}
rules:
  - id: refused-to-engage
    category: service-centred
    applies_to: all
    severity: warning
    phrases: ["refuse to * engage", "refuse support"]
    except: ["refuse bail"]
    explanation: "It makes the person the problem when the service has not yet reached them."
    suggestions: ["felt unable to accept support at this time because [say what got in the way]"]
    sources: [seed]
  - id: putting-self-at-risk
    category: victim-blaming
    applies_to: children
    severity: error
    phrases: ["put|place {reflexive} at risk"]
    explanation: "It suggests the child chose the harm that others are doing to them."
    suggestions: ["is being exposed to risk by [who]", "may have been groomed"]
    sources: [CSE-T]
  - id: family-contact
    category: care-jargon
    applies_to: children
    severity: suggestion
    phrases: ["=contact"]
    except: ["contact details|number", "point of contact"]
    explanation: "Children call it seeing their family, not contact."
    suggestions: ["family time"]
    sources: [seed]
  - id: keeps-going-missing
    category: victim-blaming
    applies_to: children
    severity: warning
    phrases: ["keep go missing"]
    explanation: "Going missing again and again is a sign someone may be taking the child."
    suggestions: ["is repeatedly missing; [say who may be taking them]"]
    sources: [seed]
  - id: attention-seeking
    category: deficit-label
    applies_to: all
    severity: warning
    phrases: ["attention seek"]
    explanation: "Needing attention is a need for connection, not a fault."
    suggestions: ["attention needing", "seeking connection"]
    sources: [seed]
"""


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return rules_from_text(RULES, origin="test")
