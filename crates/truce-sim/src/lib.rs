//! Negotiation simulation: protocols, agents and deterministic tournaments.
