"""msstem.offers"""
