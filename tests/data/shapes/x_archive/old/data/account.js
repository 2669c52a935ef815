window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "mira@example.invalid",
      "createdVia" : "android",
      "username" : "harbor_mira",
      "accountId" : "2244994945",
      "createdAt" : "2014-12-14T11:00:00.000Z",
      "accountDisplayName" : "Mira Haddad"
    }
  }
]
