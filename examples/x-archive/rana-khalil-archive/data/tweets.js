window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2030569208018763802"
          ],
          "editableUntil" : "2026-03-08T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "146"
      ],
      "favorite_count" : "5200",
      "id_str" : "2030569208018763802",
      "truncated" : false,
      "retweet_count" : "3300",
      "id" : "2030569208018763802",
      "created_at" : "Sun Mar 08 09:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Yusuf, the teacher from Tel Sabah who wrote the diary channel, has not posted since Thursday night. If anyone has news of him, please write to me.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2030247310245109760"
          ],
          "editableUntil" : "2026-03-07T12:40:12.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [
          {
            "url" : "https://t.co/Rk7nLp0sTq",
            "expanded_url" : "https://twitter.com/i/web/status/2030247310245109760",
            "display_url" : "twitter.com/i/web/status/2…",
            "indices" : [
              "273",
              "296"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "296"
      ],
      "favorite_count" : "3900",
      "id_str" : "2030247310245109760",
      "truncated" : false,
      "retweet_count" : "2700",
      "id" : "2030247310245109760",
      "created_at" : "Sat Mar 07 11:40:12 +0000 2026",
      "favorited" : false,
      "full_text" : "The buses are gone. I stood at the Old Harbour gate from 06:00 to 11:30 and counted 14 buses, 9 of them in the first hour. Civil defence volunteers checked names against a list; families without papers were told to wait for the afternoon convoy. An old man asked me to wr… https://t.co/Rk7nLp0sTq",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2030195621361483801"
          ],
          "editableUntil" : "2026-03-07T09:15:30.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "102"
      ],
      "favorite_count" : "6400",
      "id_str" : "2030195621361483801",
      "truncated" : false,
      "retweet_count" : "2100",
      "id" : "2030195621361483801",
      "created_at" : "Sat Mar 07 08:15:30 +0000 2026",
      "favorited" : false,
      "full_text" : "الحافلات تتحرك. عددت ٩ حافلات تخرج من بوابة الميناء القديم، وطوابير من الناس كل منهم يحمل حقيبة واحدة.",
      "lang" : "ar"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029950128748363800"
          ],
          "editableUntil" : "2026-03-06T17:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "Sarvan",
            "indices" : [
              "162",
              "169"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "169"
      ],
      "favorite_count" : "21000",
      "id_str" : "2029950128748363800",
      "truncated" : false,
      "retweet_count" : "12000",
      "id" : "2029950128748363800",
      "created_at" : "Fri Mar 06 16:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "CEASEFIRE announced from 06:00 Saturday. A corridor along the Coast Road to the north. Buses from the Old Harbour gate. Check with civil defence before you move. #Sarvan",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029527468734283799"
          ],
          "editableUntil" : "2026-03-05T13:00:30.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "155"
      ],
      "favorite_count" : "9100",
      "id_str" : "2029527468734283799",
      "truncated" : false,
      "retweet_count" : "7700",
      "id" : "2029527468734283799",
      "created_at" : "Thu Mar 05 12:00:30 +0000 2026",
      "favorited" : false,
      "full_text" : "Missing: a boy of 9, Adam, last seen near the Tel Sabah school shelter on 4 March, blue jacket. If you have seen him write to the civil defence, not to me.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029092477466443798"
          ],
          "editableUntil" : "2026-03-04T08:12:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "155"
      ],
      "favorite_count" : "11800",
      "id_str" : "2029092477466443798",
      "truncated" : false,
      "retweet_count" : "5400",
      "id" : "2029092477466443798",
      "created_at" : "Wed Mar 04 07:12:00 +0000 2026",
      "favorited" : false,
      "full_text" : "A nurse at Al-Amal Hospital tells me they have 6 hours of fuel left and no insulin. Please share, and please don't call the hospital lines: they need them.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2028879532652363797"
          ],
          "editableUntil" : "2026-03-03T18:05:50.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "90"
      ],
      "favorite_count" : "2600",
      "id_str" : "2028879532652363797",
      "truncated" : false,
      "retweet_count" : "900",
      "id" : "2028879532652363797",
      "created_at" : "Tue Mar 03 17:05:50 +0000 2026",
      "favorited" : false,
      "full_text" : "قصف قرب مستشفى الأمل في حي النور. الجرحى يُنقلون على عربات يد لأن سيارات الإسعاف بلا وقود.",
      "lang" : "ar"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2028410039039819796"
          ],
          "editableUntil" : "2026-03-02T11:00:14.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "139"
      ],
      "favorite_count" : "1200",
      "id_str" : "2028410039039819796",
      "truncated" : false,
      "retweet_count" : "310",
      "id" : "2028410039039819796",
      "created_at" : "Mon Mar 02 10:00:14 +0000 2026",
      "favorited" : false,
      "full_text" : "Day 1 of the siege of Sarvan. No bread in Old Harbour, a queue of 400 people at the one bakery still open. People are calm, and very tired.",
      "lang" : "en"
    }
  }
]