"""Programme activities: awareness sessions, media items, trainings and peer groups, with reach targets."""
