window.YTD.account.part0 = [
  {
    "account": {
      "username": "lina_h",
      "accountId": "4001",
      "accountDisplayName": "Lina Haddad",
      "createdAt": "2020-01-01T00:00:00.000Z"
    }
  }
]
