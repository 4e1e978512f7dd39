//! Exact analysis of negotiation cases: Pareto frontiers, bargaining solutions, zones of agreement, proposal evaluation, bridging packages.
