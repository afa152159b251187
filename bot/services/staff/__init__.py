"""Staff: counsellors, VDAB consultants and coordinators, their home screen, and who may act
on what (`rights`)."""
