"""
Adapters to the runtime the blocks run in: its services, the LMS's user state client, the cache, the workbench's store.

May import XBlock, Django and ``domain``, never ``blocks``; each platform dependency is imported in one place here.
"""
