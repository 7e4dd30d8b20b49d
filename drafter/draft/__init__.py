"""draft: a new report from the user's facts (plan → retrieve → generate → verify → repair → assemble)."""
