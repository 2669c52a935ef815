"""Triage: explainable labels, priority, eyewitness, places, quantities, language and stories for every post."""
