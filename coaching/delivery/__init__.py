"""How the operator spoke: pace, pitch, level, talk share, dead air, overtalk."""
