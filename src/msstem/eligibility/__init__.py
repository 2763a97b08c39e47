"""msstem.eligibility"""
