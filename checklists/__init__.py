"""The 督办 domain: checklists, items, their lifecycle, audit trail, store, directory and 台账. No Slack."""
