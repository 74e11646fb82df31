//! Health checkers and real/virtual server logic for the checker child (being built).
