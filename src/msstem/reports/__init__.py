"""msstem.reports"""
