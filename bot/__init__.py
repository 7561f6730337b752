"""Adapters: settings, Slack listeners, Block Kit builders, notifier, scheduler wiring, CLI."""
