"""
The XBlocks: the assessment and the level gate, their Studio, staff and OLX mixins, and what they render.

May import XBlock, Django, ``domain`` and ``platform``; they persist, render and publish, and leave the rest to those.
"""
