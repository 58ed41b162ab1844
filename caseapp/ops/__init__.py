"""Operations: the health check for load balancers, and backup, restore and verification of the database."""
