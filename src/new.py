def invoice(): pass
