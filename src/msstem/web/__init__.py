"""msstem.web"""
