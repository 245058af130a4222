"""Reports for people: the terminal summary, the HTML scorecard and its charts."""
