"""Certification: eligibility, attestation, issuance, verification, revocation and renewal."""
