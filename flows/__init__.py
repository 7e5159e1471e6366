"""Prefect flows: thin orchestration over the aznews library."""
