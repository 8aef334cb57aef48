"""The public "suggest a link" form: a visitor without an account proposes an entry, which
enters the review queue through the workflow service like every other submission, and keeps
a private link to follow its progress."""
