"""Background tasks of the shared kernel (Django's tasks framework, run by ``ekommune db_worker``)."""

from __future__ import annotations

import structlog
from django.tasks import task

from ekommune.core import ratelimits, selectors

logger = structlog.get_logger(__name__)


@task()
def audit_chains_verify() -> dict[str, int]:
    """Verify every audit chain; log an error per broken chain. Schedule it nightly."""
    broken = 0
    chains = selectors.audit_chain_keys()
    for chain_key in chains:
        report = selectors.audit_chain_verify(chain_key=chain_key)
        if report.first_break is not None:
            broken += 1
            logger.error(
                "audit_chain_broken",
                chain_key=chain_key,
                sequence=report.first_break.sequence,
                reason=report.first_break.reason,
            )
    logger.info("audit_chains_verified", chains=len(chains), broken=broken)
    return {"chains": len(chains), "broken": broken}


@task()
def rate_counters_purge() -> dict[str, int]:
    """Forget the rate-limit counters of windows long past (hourly)."""
    removed = ratelimits.rate_counters_purge()
    logger.info("rate_counters_purged", removed=removed)
    return {"removed": removed}
