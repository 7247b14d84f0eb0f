"""Accounts: user administration, the password rules, lockout after wrong passwords, the idle lock."""
