"""competency-xblock: assess a competency in a course unit, grade it to a level, open what comes next."""
from .assessment import CompetencyAssessmentBlock
from .gate import CompetencyGateBlock

__all__ = ["CompetencyAssessmentBlock", "CompetencyGateBlock"]
