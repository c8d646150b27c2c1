"""Keeping the sites up: probes for the load balancer, and a cache whose outage only slows
pages down."""
