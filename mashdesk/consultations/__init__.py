"""The consultation line: professionals' calls (schools above all), the advice given, and the contacts they become."""
