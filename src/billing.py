def charge():
    pass
