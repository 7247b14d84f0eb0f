"""The step-downs view: the list, the detail and the actions the service allows."""
